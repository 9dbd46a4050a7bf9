# robust_summary.R -- the robust summary that `ptlims stats --json FILE`
# prints, written in R the way a competent R user would write it, so that
# `make bench` can time both on the same file in the same run (issue 3:
# ptlims stats should be at least 5x faster end to end).
#
# usage: Rscript bench/robust_summary.R [--robust4] FILE
#        (one value per line; --robust4: only median, MADe, nIQR and
#        Algorithm A, as `ptlims stats --estimators median,made,niqr,alga`)
#
# Base R and robustbase (Debian: r-base-core, r-cran-robustbase).  Prints
# one JSON object with the same keys as ptlims stats on stdout and the time
# of each step on stderr.
#
# Where this differs from ptlims (stats/):
# * Algorithm A is the plain ISO iteration (no closed-form jump), stopped
#   when x* and s* change by less than 1e-10 s* (ptlims: 1e-12, with a
#   floor for the rounding of sums over n values).
# * Qn is robustbase::Qn with ISO's constant 2.2191 (Amd 1) and robustbase's
#   own finite-sample factor (ISO prints Table C.2 and a rational fit; at
#   n = 1e6 both are 1 to about 1e-6).
# * The Q method (one result per laboratory) counts pairs within d with
#   findInterval on the sorted, centred data and bisects for the jumps of
#   H1, so differences are compared as z[i] + d against z[j] rather than
#   as z[j] - z[i] against d (without centring, 1e6 + noise loses the
#   digits that separate nearly tied differences and s* moves by 5e-5).
# * Hampel's x* is iteratively reweighted from the median with the Q
#   method's s*, not the finite-step algorithm (one solution, the one the
#   iteration reaches).

suppressPackageStartupMessages(library(robustbase))

args <- commandArgs(trailingOnly = TRUE)
four <- length(args) == 2 && args[1] == "--robust4"
if (four) args <- args[-1]
if (length(args) != 1)
    stop("usage: Rscript robust_summary.R [--robust4] FILE")
num <- function(v) formatC(v, digits = 17, format = "g")

t0 <- proc.time()[["elapsed"]]
lap <- function(what) {
    t1 <- proc.time()[["elapsed"]]
    message(sprintf("%-12s %7.3f s", what, t1 - t0))
    t0 <<- t1
}

x <- scan(args[1], what = double(), quiet = TRUE)
n <- length(x)
lap("read")

if (!four) {
    m <- mean(x)
    s_d <- sd(x)
}
med <- median(x)
made <- 1.483 * mad(x, constant = 1)
niqr <- 0.7413 * IQR(x, type = 7)
lap("simple")

# ISO 13528 C.3.1 Algorithm A
alga <- function(x, k = 1.5, factor = 1.134, tol = 1e-10, maxit = 1000) {
    xs <- median(x)
    s <- 1.483 * mad(x, constant = 1)
    if (s == 0) s <- sd(x)
    for (it in seq_len(maxit)) {
        d <- k * s
        w <- pmin(pmax(x, xs - d), xs + d)
        x1 <- mean(w)
        s1 <- factor * sd(w)
        if (abs(x1 - xs) <= tol * s1 && abs(s1 - s) <= tol * s1)
            return(list(x = x1, s = s1, it = it))
        xs <- x1
        s <- s1
    }
    stop("Algorithm A did not converge")
}
a <- alga(x)
lap("Algorithm A")
if (four) {
    cat(sprintf(paste0('{"n": %d, "median": %s, "made": %s, "niqr": %s, ',
                       '"alga_x": %s, "alga_s": %s, "alga_iterations": %d, ',
                       '"alga_u": %s}\n'),
                n, num(med), num(made), num(niqr), num(a$x), num(a$s), a$it,
                num(1.25 * a$s / sqrt(n))))
    quit(save = "no")
}

qn <- Qn(x, constant = 2.2191, finite.corr = TRUE, warn.finite.corr = FALSE)
lap("Qn")

# ISO 13528 C.5.2.2 Q method, one result per laboratory
qmethod <- function(x) {
    z <- sort(x - median(x)) # centred: z[i] + d keeps the digits of d
    n <- length(z)
    np <- n * (n - 1) / 2
    base <- n * (n + 1) / 2
    le <- function(d) sum(findInterval(z + d, z)) - base
    lt <- function(d) sum(findInterval(z + d, z, left.open = TRUE)) - base
    g1 <- function(d) if (d <= 0) 0 else (le(d) + lt(d)) / (2 * np)
    # smallest d with f(d) true, f monotone, by bisection on [lo, hi]
    first <- function(f, lo, hi) {
        while (TRUE) {
            mid <- lo + (hi - lo) / 2
            if (mid <= lo || mid >= hi) return(hi)
            if (f(mid)) hi <- mid else lo <- mid
        }
    }
    h0 <- le(0) / np
    if (h0 >= 1) stop("Q method: all pairs tied")
    q <- 0.25 + 0.75 * h0
    top <- z[n] - z[1]
    d <- first(function(d) g1(d) >= q, 0, top)
    # G1 crosses q on the way up to the next jump of H1 at or above d
    x_hi <- if (le(d) > lt(d)) d else first(function(e) le(e) > le(d), d,
                                            top)
    below <- lt(x_hi)                                # pairs under it
    x_lo <- if (below <= le(0)) 0 else first(function(d) le(d) >= below, 0,
                                              x_hi)
    g_lo <- g1(x_lo)
    g_hi <- g1(x_hi)
    num <- x_lo + (q - g_lo) * (x_hi - x_lo) / (g_hi - g_lo)
    num / (sqrt(2) * qnorm(0.625 + 0.375 * h0))
}
s_q <- qmethod(x)
lap("Q method")

# ISO 13528 C.5.3 Hampel, by iterative reweighting from the median
hampel <- function(x, s, a = 1.5, b = 3, c = 4.5, tol = 1e-12) {
    xs <- median(x)
    for (it in 1:1000) {
        u <- (x - xs) / s
        au <- abs(u)
        # u, then a, then down to 0 at c: one vectorised expression
        psi <- sign(u) * pmin(au, a, pmax(0, a * (c - au) / (c - b)))
        w <- psi / u
        w[u == 0] <- 1
        x1 <- sum(w * x) / sum(w)
        if (abs(x1 - xs) <= tol * s) return(x1)
        xs <- x1
    }
    xs
}
h <- hampel(x, s_q)
lap("Hampel")

cat(sprintf(paste0('{"n": %d, "mean": %s, "sd": %s, "median": %s, ',
                   '"made": %s, "niqr": %s, "alga_x": %s, "alga_s": %s, ',
                   '"alga_iterations": %d, "alga_u": %s, "qn": %s, ',
                   '"qmethod_s": %s, "hampel_x": %s, "qhampel_u": %s}\n'),
            n, num(m), num(s_d), num(med), num(made), num(niqr), num(a$x),
            num(a$s), a$it, num(1.25 * a$s / sqrt(n)), num(qn), num(s_q),
            num(h), num(1.25 * s_q / sqrt(n))))
