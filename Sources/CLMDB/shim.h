#ifndef SMCC_CLMDB_SHIM_H
#define SMCC_CLMDB_SHIM_H
#include <lmdb.h>
#endif
