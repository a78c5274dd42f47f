// OpenSSL's SHA-256 with a caller-owned context (SHA256_Init/Update/Final): deprecated in
// OpenSSL 3 in favour of EVP, whose per-call lookup is what this module is here to avoid.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
