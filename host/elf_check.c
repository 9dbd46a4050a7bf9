/*
 * elf_check.c -- checking a plug-in's ELF headers before dlopen() (see
 * elf_check.h).  The class, byte order and machine are compared with the
 * running executable's own header, so nothing here is tied to one
 * architecture.
 */
#include "elf_check.h"

#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int read_at(FILE *f, unsigned long off, void *buf, size_t n)
{
    return fseek(f, (long)off, SEEK_SET) == 0 && fread(buf, 1, n, f) == n
               ? 0
               : -1;
}

/* The running executable's header: what a loadable library must match. */
static int own_header(ElfW(Ehdr) *h)
{
    FILE *f = fopen("/proc/self/exe", "rb");
    int rc;

    if (!f)
        return -1;
    rc = read_at(f, 0, h, sizeof *h);
    fclose(f);
    return rc;
}

int elf_check(const char *path, char *why, size_t whylen)
{
    ElfW(Ehdr) h, self;
    ElfW(Phdr) ph;
    struct stat st;
    unsigned long size, end;
    FILE *f = fopen(path, "rb");
    int i;

    if (!f) {
        snprintf(why, whylen, "cannot open: %s", strerror(errno));
        return -1;
    }
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, whylen, "not a regular file");
        goto bad;
    }
    size = (unsigned long)st.st_size;
    if (size < sizeof h || read_at(f, 0, &h, sizeof h) != 0 ||
        memcmp(h.e_ident, ELFMAG, SELFMAG) != 0) {
        snprintf(why, whylen, "not a shared object (%lu bytes, no ELF "
                              "header)",
                 size);
        goto bad;
    }
    if (own_header(&self) != 0) {
        fclose(f); /* nothing to compare with: leave it to dlopen */
        return 0;
    }
    if (h.e_ident[EI_CLASS] != self.e_ident[EI_CLASS]) {
        snprintf(why, whylen, "built for %d-bit, this host is %d-bit",
                 h.e_ident[EI_CLASS] == ELFCLASS32 ? 32 : 64,
                 self.e_ident[EI_CLASS] == ELFCLASS32 ? 32 : 64);
        goto bad;
    }
    if (h.e_ident[EI_DATA] != self.e_ident[EI_DATA]) {
        snprintf(why, whylen, "built for the other byte order");
        goto bad;
    }
    if (h.e_type != ET_DYN) {
        snprintf(why, whylen, "not a shared object (ELF type %u)",
                 (unsigned)h.e_type);
        goto bad;
    }
    if (h.e_machine != self.e_machine) {
        snprintf(why, whylen,
                 "built for another machine architecture (ELF e_machine "
                 "%u, this host %u)",
                 (unsigned)h.e_machine, (unsigned)self.e_machine);
        goto bad;
    }
    end = (unsigned long)h.e_phoff +
          (unsigned long)h.e_phnum * h.e_phentsize;
    if (h.e_phentsize != sizeof ph || end > size) {
        snprintf(why, whylen,
                 "truncated or damaged: %lu bytes, its program headers end "
                 "at %lu",
                 size, end);
        goto bad;
    }
    end = (unsigned long)h.e_shoff +
          (unsigned long)h.e_shnum * h.e_shentsize;
    if (h.e_shoff && end > size) {
        snprintf(why, whylen,
                 "truncated: %lu bytes, its section headers end at %lu",
                 size, end);
        goto bad;
    }
    for (i = 0; i < h.e_phnum; i++) {
        if (read_at(f, h.e_phoff + (unsigned long)i * sizeof ph, &ph,
                    sizeof ph) != 0) {
            snprintf(why, whylen, "unreadable program header %d", i);
            goto bad;
        }
        end = (unsigned long)ph.p_offset + (unsigned long)ph.p_filesz;
        if (ph.p_type == PT_LOAD && end > size) {
            snprintf(why, whylen,
                     "truncated: %lu bytes, a loadable segment ends at %lu",
                     size, end);
            goto bad;
        }
    }
    fclose(f);
    return 0;
bad:
    fclose(f);
    return -1;
}
