#ifndef SMCC_CZSTD_SHIM_H
#define SMCC_CZSTD_SHIM_H
// The experimental parameters (magicless frames) are only declared with this define; Swift cannot
// see the ZSTD_c_format / ZSTD_d_format macro aliases, so EventLog uses the experimentalParam names.
#define ZSTD_STATIC_LINKING_ONLY
// And the dictionary trainer with fixed parameters (ZDICT_trainFromBuffer_fastCover).
#define ZDICT_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zdict.h>
#endif
