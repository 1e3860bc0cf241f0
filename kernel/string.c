/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Freestanding string and memory routines and a small snprintf: %s %c %d %i
 * %u %x %p %%, with 'l', 'll' and 'z' lengths, a field width and the '0' flag.
 * Output is always NUL-terminated and never runs past the buffer.
 */
#include <stdbool.h>
#include <kernel/string.h>

void *memset(void *dst, int c, size_t n)
{
        unsigned char *d = dst;

        while (n--)
                *d++ = (unsigned char)c;
        return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
        unsigned char *d = dst;
        const unsigned char *s = src;

        while (n--)
                *d++ = *s++;
        return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
        const unsigned char *x = a, *y = b;

        for (; n; n--, x++, y++)
                if (*x != *y)
                        return *x - *y;
        return 0;
}

size_t kstrlen(const char *s)
{
        size_t n = 0;

        while (s[n])
                n++;
        return n;
}

int kstrncmp(const char *a, const char *b, size_t n)
{
        for (; n; n--, a++, b++) {
                if (*a != *b)
                        return (unsigned char)*a - (unsigned char)*b;
                if (!*a)
                        return 0;
        }
        return 0;
}

int kstrcmp(const char *a, const char *b)
{
        return kstrncmp(a, b, (size_t)-1);
}

size_t kstrlcpy(char *dst, const char *src, size_t size)
{
        size_t len = kstrlen(src);

        if (size) {
                size_t n = len < size - 1 ? len : size - 1;

                memcpy(dst, src, n);
                dst[n] = '\0';
        }
        return len;
}

int kparse_u64(const char *s, size_t len, uint64_t *out)
{
        uint64_t v = 0;
        unsigned base = 10;

        if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
                base = 16;
                s += 2;
                len -= 2;
        }
        if (len == 0)
                return -1;
        for (; len; len--, s++) {
                unsigned d;

                if (*s >= '0' && *s <= '9')
                        d = (unsigned)(*s - '0');
                else if (base == 16 && *s >= 'a' && *s <= 'f')
                        d = (unsigned)(*s - 'a' + 10);
                else if (base == 16 && *s >= 'A' && *s <= 'F')
                        d = (unsigned)(*s - 'A' + 10);
                else
                        return -1;
                if (v > (UINT64_MAX - d) / base)
                        return -1;
                v = v * base + d;
        }
        *out = v;
        return 0;
}

struct out {
        char *buf;
        size_t size, len;
};

static void out_char(struct out *o, char c)
{
        if (o->len + 1 < o->size)
                o->buf[o->len] = c;
        o->len++;
}

static void out_number(struct out *o, uint64_t v, unsigned base, bool negative,
                       unsigned width, char pad)
{
        char digits[24];
        unsigned n = 0;

        do {
                unsigned d = (unsigned)(v % base);

                digits[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
                v /= base;
        } while (v);
        if (negative)
                digits[n++] = '-';
        while (width > n && width--)
                out_char(o, pad);
        while (n)
                out_char(o, digits[--n]);
}

static void out_string(struct out *o, const char *s, unsigned width)
{
        size_t len = s ? kstrlen(s) : 6;

        while (width > len && width--)
                out_char(o, ' ');
        for (const char *p = s ? s : "(null)"; *p; p++)
                out_char(o, *p);
}

/* Reads the argument for one integer conversion at the given length. */
static uint64_t take_unsigned(va_list *ap, unsigned longs)
{
        if (longs >= 2)
                return va_arg(*ap, unsigned long long);
        if (longs == 1)
                return va_arg(*ap, unsigned long);
        return va_arg(*ap, unsigned int);
}

static int64_t take_signed(va_list *ap, unsigned longs)
{
        if (longs >= 2)
                return va_arg(*ap, long long);
        if (longs == 1)
                return va_arg(*ap, long);
        return va_arg(*ap, int);
}

static const char *format_one(struct out *o, const char *f, va_list *ap)
{
        char pad = ' ';
        unsigned width = 0, longs = 0;

        if (*f == '0') {
                pad = '0';
                f++;
        }
        while (*f >= '0' && *f <= '9')
                width = width * 10 + (unsigned)(*f++ - '0');
        for (; *f == 'l' || *f == 'z'; f++)
                longs++;       /* z is size_t: one long on LP64 */
        switch (*f) {
        case 'd': case 'i': {
                int64_t v = take_signed(ap, longs);

                out_number(o, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, 10, v < 0, width, pad);
                break;
        }
        case 'u': out_number(o, take_unsigned(ap, longs), 10, false, width, pad); break;
        case 'x': out_number(o, take_unsigned(ap, longs), 16, false, width, pad); break;
        case 'p':
                out_string(o, "0x", 0);
                out_number(o, (uint64_t)(uintptr_t)va_arg(*ap, void *), 16, false, 16, '0');
                break;
        case 'c': out_char(o, (char)va_arg(*ap, int)); break;
        case 's': out_string(o, va_arg(*ap, const char *), width); break;
        case '%': out_char(o, '%'); break;
        case '\0': return f;
        default: out_char(o, '%'); out_char(o, *f); break;
        }
        return f + 1;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
        struct out o = { buf, size, 0 };
        va_list args;

        va_copy(args, ap);
        while (*fmt) {
                if (*fmt != '%')
                        out_char(&o, *fmt++);
                else
                        fmt = format_one(&o, fmt + 1, &args);
        }
        va_end(args);
        if (size)
                buf[o.len < size ? o.len : size - 1] = '\0';
        return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = kvsnprintf(buf, size, fmt, ap);
        va_end(ap);
        return n;
}
