/*
 * loader.c -- dlopen()ing plug-ins and checking their ABI.
 *
 * A plug-in is trusted only after its entry symbol returned a descriptor of
 * our ABI major version that is big enough and complete; anything else is
 * unloaded again with a message that says what was wrong.
 */
#include "loader.h"

#include "elf_check.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int refuse(void *h, char *err, size_t errlen, const char *path,
                  const char *why)
{
    snprintf(err, errlen, "%s: not loaded: %s", path, why);
    if (h)
        dlclose(h);
    return -1;
}

int host_load_file(host_plugins *hp, const char *path, char *err,
                   size_t errlen)
{
    void *h;
    lims_plugin_entry_v1_fn entry;
    const lims_plugin *d;
    char why[512];
    size_t i;

    /* dlopen() of a truncated file can end the process with SIGBUS */
    if (elf_check(path, why, sizeof why) != 0)
        return refuse(NULL, err, errlen, path, why);
    h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return refuse(NULL, err, errlen, path, dlerror());
    *(void **)&entry = dlsym(h, LIMS_PLUGIN_ENTRY_V1);
    if (!entry) {
        /* a plug-in of another major version exports another symbol */
        if (dlsym(h, "lims_plugin_entry_v2"))
            return refuse(h, err, errlen, path,
                          "built for plug-in ABI 2, this host speaks ABI 1");
        return refuse(h, err, errlen, path,
                      "no lims_plugin_entry_v1 symbol (not a ptlims "
                      "plug-in)");
    }
    d = entry();
    if (!d)
        return refuse(h, err, errlen, path, "entry returned no descriptor");
    if (LIMS_ABI_MAJOR(d->abi) != LIMS_ABI_MAJOR_VERSION) {
        snprintf(why, sizeof why,
                 "built for plug-in ABI %u.%u, this host speaks ABI %u",
                 (unsigned)LIMS_ABI_MAJOR(d->abi),
                 (unsigned)LIMS_ABI_MINOR(d->abi),
                 (unsigned)LIMS_ABI_MAJOR_VERSION);
        return refuse(h, err, errlen, path, why);
    }
    if (d->size < sizeof(lims_plugin) || !d->id || !d->policy ||
        !d->limit_key)
        return refuse(h, err, errlen, path,
                      "descriptor is incomplete for ABI 1.0");
    for (i = 0; i < hp->n; i++) {
        if (strcmp(hp->p[i].desc->id, d->id) == 0) {
            dlclose(h); /* an earlier directory already gave this scheme */
            return 0;
        }
    }
    if (hp->n == hp->cap) {
        size_t cap = hp->cap ? 2 * hp->cap : 8;
        host_plugin *p = realloc(hp->p, cap * sizeof *p);
        if (!p)
            return refuse(h, err, errlen, path, "out of memory");
        hp->p = p;
        hp->cap = cap;
    }
    hp->p[hp->n].handle = h;
    hp->p[hp->n].desc = d;
    hp->p[hp->n].path = strdup(path);
    if (!hp->p[hp->n].path)
        return refuse(h, err, errlen, path, "out of memory");
    hp->n++;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int host_load_dir(host_plugins *hp, const char *dir, int must_exist,
                  char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL, **p, path[PATH_MAX], why[1024];
    size_t n = 0, cap = 0, i, len;

    if (!d) {
        if (must_exist) {
            snprintf(err, errlen, "%s: cannot open plug-in directory: %s",
                     dir, strerror(errno));
            return -1;
        }
        return 0;
    }
    while ((e = readdir(d))) {
        len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".so") != 0)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            p = realloc(names, cap * sizeof *p);
            if (!p)
                break;
            names = p;
        }
        if (!(names[n] = strdup(e->d_name)))
            break;
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (host_load_file(hp, path, why, sizeof why) != 0 && hp->verbose)
            fprintf(stderr, "ptlims: warning: %s\n", why);
        free(names[i]);
    }
    free(names);
    return 0;
}

int host_load_all(host_plugins *hp, const char *plugin_dir, char *err,
                  size_t errlen)
{
    const char *env = getenv("PTLIMS_PLUGIN_PATH");
    char exe[PATH_MAX], *slash;
    ssize_t len;

    if (plugin_dir && host_load_dir(hp, plugin_dir, 1, err, errlen) != 0)
        return -1;
    if (env && *env) {
        char *copy = strdup(env), *save = NULL, *dir;
        if (!copy) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        for (dir = strtok_r(copy, ":", &save); dir;
             dir = strtok_r(NULL, ":", &save))
            host_load_dir(hp, dir, 0, err, errlen);
        free(copy);
    }
    host_load_dir(hp, PTLIMS_PLUGIN_DIR, 0, err, errlen);
    len = readlink("/proc/self/exe", exe, sizeof exe - 16);
    if (len > 0) {
        exe[len] = 0;
        if ((slash = strrchr(exe, '/'))) {
            snprintf(slash, sizeof exe - (size_t)(slash - exe), "/plugins");
            host_load_dir(hp, exe, 0, err, errlen);
        }
    }
    if (hp->n == 0) {
        snprintf(err, errlen,
                 "no plug-ins found (use --plugin-dir DIR or set "
                 "PTLIMS_PLUGIN_PATH)");
        return -1;
    }
    return 0;
}

const lims_plugin *host_find(const host_plugins *hp, const char *id)
{
    size_t i;
    for (i = 0; i < hp->n; i++)
        if (strcmp(hp->p[i].desc->id, id) == 0)
            return hp->p[i].desc;
    return NULL;
}

void host_unload(host_plugins *hp)
{
    size_t i;
    for (i = 0; i < hp->n; i++) {
        dlclose(hp->p[i].handle);
        free(hp->p[i].path);
    }
    free(hp->p);
    hp->p = NULL;
    hp->n = hp->cap = 0;
}
