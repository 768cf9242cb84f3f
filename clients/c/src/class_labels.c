#include "class_labels.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void predict_strings_free(char **strings, size_t count) {
    if (!strings) return;
    for (size_t index = 0; index < count; index++) free(strings[index]);
    free(strings);
}

static const char *skip_space(const char *at) {
    while (*at == ' ' || *at == '\t' || *at == '\n' || *at == '\r') at++;
    return at;
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int read_hex4(const char *at, uint32_t *value) {
    *value = 0;
    for (int index = 0; index < 4; index++) {
        int digit = hex_digit(at[index]);
        if (digit < 0) return -1;
        *value = *value << 4 | (uint32_t)digit;
    }
    return 0;
}

static size_t put_utf8(char *out, uint32_t code) {
    if (code < 0x80) { out[0] = (char)code; return 1; }
    if (code < 0x800) { out[0] = (char)(0xC0 | code >> 6); out[1] = (char)(0x80 | (code & 0x3F)); return 2; }
    if (code < 0x10000) {
        out[0] = (char)(0xE0 | code >> 12); out[1] = (char)(0x80 | (code >> 6 & 0x3F)); out[2] = (char)(0x80 | (code & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | code >> 18); out[1] = (char)(0x80 | (code >> 12 & 0x3F));
    out[2] = (char)(0x80 | (code >> 6 & 0x3F)); out[3] = (char)(0x80 | (code & 0x3F));
    return 4;
}

/* A JSON string starting after its opening quote; *end is past the closing quote. */
static char *read_string(const char *at, const char **end) {
    /* Unescaped text is never longer than its escaped spelling. */
    const char *close = at;
    while (*close && *close != '"') close += (*close == '\\' && close[1]) ? 2 : 1;
    if (!*close) return NULL;
    char *text = malloc((size_t)(close - at) + 1), *out = text;
    if (!text) return NULL;
    while (at < close) {
        if ((unsigned char)*at < 0x20) goto refuse;
        if (*at != '\\') { *out++ = *at++; continue; }
        at++;
        char escaped = *at++;
        const char *simple = strchr("\"\\/bfnrt", escaped);
        if (simple && escaped) {
            *out++ = "\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
            continue;
        }
        uint32_t code;
        if (escaped != 'u' || close - at < 4 || read_hex4(at, &code) != 0) goto refuse;
        at += 4;
        if (code >= 0xD800 && code < 0xDC00) {
            uint32_t low;
            if (close - at < 6 || at[0] != '\\' || at[1] != 'u' || read_hex4(at + 2, &low) != 0 || low < 0xDC00 || low > 0xDFFF) goto refuse;
            at += 6;
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        } else if (code >= 0xDC00 && code <= 0xDFFF) {
            goto refuse;
        }
        out += put_utf8(out, code);
    }
    *out = '\0';
    *end = close + 1;
    return text;
refuse:
    free(text);
    return NULL;
}

/* A JSON number's spelling; *end is past it. */
static char *read_number(const char *at, const char **end) {
    const char *start = at;
    if (*at == '-') at++;
    if (*at < '0' || *at > '9') return NULL;
    while ((*at >= '0' && *at <= '9') || *at == '.' || *at == 'e' || *at == 'E' || *at == '+' || *at == '-') at++;
    char *text = malloc((size_t)(at - start) + 1);
    if (!text) return NULL;
    memcpy(text, start, (size_t)(at - start));
    text[at - start] = '\0';
    *end = at;
    return text;
}

int predict_class_labels_parse(const char *json, char ***labels, size_t *count) {
    const char *at = skip_space(json);
    if (*at++ != '[') return -1;
    char **found = NULL;
    size_t used = 0, capacity = 0;
    at = skip_space(at);
    if (*at == ']') {
        at = skip_space(at + 1);
        if (*at) return -1;
        *labels = NULL;
        *count = 0;
        return 0;
    }
    for (;;) {
        at = skip_space(at);
        char *label = *at == '"' ? read_string(at + 1, &at) : read_number(at, &at);
        if (!label) break;
        if (used == capacity) {
            capacity = capacity ? capacity * 2 : 8;
            char **grown = realloc(found, capacity * sizeof *grown);
            if (!grown) { free(label); break; }
            found = grown;
        }
        found[used++] = label;
        at = skip_space(at);
        if (*at == ',') { at++; continue; }
        if (*at == ']' && !*skip_space(at + 1)) {
            *labels = found;
            *count = used;
            return 0;
        }
        break;
    }
    predict_strings_free(found, used);
    return -1;
}
