/*
 * elf_check.h -- is this file a shared object this process could load?
 *
 * dlopen() trusts the file: a truncated shared object can kill the process
 * with SIGBUS when the loader touches a mapped page past the end of the
 * file, and a library for another architecture is refused with a
 * misleading "No such file or directory".  The host checks the ELF headers
 * first and refuses such files with a reason.
 */
#ifndef PTLIMS_ELF_CHECK_H
#define PTLIMS_ELF_CHECK_H

#include <stddef.h>

/* 0 when `path` is an ELF shared object of this process's class, byte
 * order and machine whose headers and loadable segments lie within the
 * file; -1 with the reason in why[whylen] otherwise. */
int elf_check(const char *path, char *why, size_t whylen);

#endif /* PTLIMS_ELF_CHECK_H */
