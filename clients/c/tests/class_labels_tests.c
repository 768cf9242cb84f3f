/* The class_labels parameter's JSON arrays: numbers keep their spelling, strings are unescaped,
 * anything else is refused whole. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "class_labels.h"

static int parses_to(const char *json, size_t expected_count, const char *const *expected) {
    char **labels = NULL;
    size_t count = 0;
    if (predict_class_labels_parse(json, &labels, &count) != 0) return 0;
    int same = count == expected_count;
    for (size_t index = 0; same && index < count; index++) same = strcmp(labels[index], expected[index]) == 0;
    predict_strings_free(labels, count);
    return same;
}

static int refused(const char *json) {
    char **labels = NULL;
    size_t count = 0;
    return predict_class_labels_parse(json, &labels, &count) != 0;
}

int main(void) {
    CHECK(parses_to("[0,1,2]", 3, (const char *const[]){"0", "1", "2"}));
    CHECK(parses_to(" [ -1 , 2.5e3 ] ", 2, (const char *const[]){"-1", "2.5e3"}));
    CHECK(parses_to("[\"setosa\",\"versi\\\"color\",\"a\\\\b\"]", 3, (const char *const[]){"setosa", "versi\"color", "a\\b"}));
    CHECK(parses_to("[\"\\u00e9t\\u00e9\", \"\\ud83d\\ude00\"]", 2, (const char *const[]){"\xc3\xa9t\xc3\xa9", "\xf0\x9f\x98\x80"}));
    CHECK(parses_to("[]", 0, NULL));
    CHECK(parses_to("[\"\\n\\t/\\/\"]", 1, (const char *const[]){"\n\t//"}));

    CHECK(refused(""));
    CHECK(refused("[0,1"));
    CHECK(refused("[0,]"));
    CHECK(refused("[0] x"));
    CHECK(refused("[[0]]"));
    CHECK(refused("[{\"a\":1}]"));
    CHECK(refused("[\"open]"));
    CHECK(refused("[\"bad \\x escape\"]"));
    CHECK(refused("[\"\\ud83d alone\"]"));
    CHECK(refused("[\"\\ude00\"]"));
    CHECK(refused("[\"tab\there\"]"));
    CHECK(refused("[true]"));
    CHECK(refused("[\"\\"));
    return check_report("class_labels_tests");
}
