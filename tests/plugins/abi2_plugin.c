/*
 * abi2_plugin.c -- a plug-in that claims plug-in ABI 2.0, so the tests can
 * check that a v1 host refuses it with a clear message.  Not installed.
 */
#include "lims_plugin.h"

static const lims_plugin descriptor = {
    .size = sizeof(lims_plugin),
    .abi = LIMS_ABI_MAKE(2, 0),
    .id = "from-the-future",
    .version = "2.0.0",
};

LIMS_PLUGIN_EXPORT const lims_plugin *lims_plugin_entry_v1(void)
{
    return &descriptor;
}
