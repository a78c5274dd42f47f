#ifndef SMCC_CSYSTEMRANDOM_SHIM_H
#define SMCC_CSYSTEMRANDOM_SHIM_H
// getrandom(2) fills a whole buffer from the kernel's CSPRNG in one system call; Swift's Glibc
// module does not include <sys/random.h>, and SystemRandomNumberGenerator makes a call per 8 bytes.
#include <sys/random.h>
#endif
