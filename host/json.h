/*
 * json.h -- the few JSON writing helpers the ptlims command needs for
 * --json output: escaped strings, and numbers with 17 significant digits
 * (never rounded; null for NaN or infinity).
 */
#ifndef PTLIMS_JSON_H
#define PTLIMS_JSON_H

#include <stdio.h>

void json_str(FILE *f, const char *s);
void json_num(FILE *f, double v);

#endif /* PTLIMS_JSON_H */
