/*
 * test_util.h -- helpers shared by the tests in tests/stats/: a tolerance
 * assertion for doubles (cmocka's own compares floats only) and a status
 * assertion that names the statuses.  Include after <cmocka.h>.
 */
#ifndef PT_TEST_UTIL_H
#define PT_TEST_UTIL_H

#include <math.h>

#include "pt_stats.h"

static inline void check_close(double actual, double expected, double tol,
                               const char *what, const char *file, int line)
{
    if (!(fabs(actual - expected) <= tol)) {
        print_error("%s = %.17g, expected %.17g +- %.3g\n", what, actual,
                    expected, tol);
        _fail(file, line);
    }
}

/* |actual - expected| <= tol (fails on NaN). */
#define assert_close(actual, expected, tol)                                    \
    check_close((actual), (expected), (tol), #actual, __FILE__, __LINE__)

static inline void check_status(pt_stats_status actual,
                                pt_stats_status expected, const char *what,
                                const char *file, int line)
{
    if (actual != expected) {
        print_error("%s returned %d (%s), expected %d (%s)\n", what,
                    (int)actual, pt_stats_strerror(actual), (int)expected,
                    pt_stats_strerror(expected));
        _fail(file, line);
    }
}

#define assert_status(call, expected)                                          \
    check_status((call), (expected), #call, __FILE__, __LINE__)

#endif /* PT_TEST_UTIL_H */
