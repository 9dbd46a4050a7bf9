/*
 * loader.h -- finding, loading and checking scheme plug-ins.
 *
 * The host looks in --plugin-dir, then each directory of
 * $PTLIMS_PLUGIN_PATH, then the installed directory, then "plugins" next to
 * the executable; the first plug-in of each scheme id wins.  A file that is
 * not a loadable plug-in of ABI major 1 is refused with the reason.
 */
#ifndef PTLIMS_LOADER_H
#define PTLIMS_LOADER_H

#include <stddef.h>

#include "lims_plugin.h"

typedef struct host_plugin {
    void *handle;
    const lims_plugin *desc;
    char *path;
} host_plugin;

typedef struct host_plugins {
    host_plugin *p;
    size_t n, cap;
    int verbose; /* report refused files on stderr */
} host_plugins;

/* Load one shared object.  Returns 0, or -1 with the reason in err
 * (the file is then not loaded). */
int host_load_file(host_plugins *hp, const char *path, char *err,
                   size_t errlen);

/* Load every *.so of `dir` (sorted by name).  A missing directory loads
 * nothing and is not an error unless `must_exist`.  Refused files are
 * reported on stderr.  Returns 0, or -1 with err. */
int host_load_dir(host_plugins *hp, const char *dir, int must_exist,
                  char *err, size_t errlen);

/* The search described above.  plugin_dir may be NULL. */
int host_load_all(host_plugins *hp, const char *plugin_dir, char *err,
                  size_t errlen);

const lims_plugin *host_find(const host_plugins *hp, const char *id);

void host_unload(host_plugins *hp);

#endif /* PTLIMS_LOADER_H */
