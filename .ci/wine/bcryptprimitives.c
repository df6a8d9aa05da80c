/* Wine 8 (Debian 12) has no bcryptprimitives.dll, which Rust's standard library
 * (since 1.78) imports for ProcessPrng. This stand-in, placed next to folio.exe for
 * the Wine test only, forwards to RtlGenRandom (advapi32's SystemFunction036).
 * Real Windows has the DLL: nothing of this ships. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG n = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, n)) return FALSE;
        data += n;
        length -= n;
    }
    return TRUE;
}
