#include "arguments.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void connection_arguments_init(connection_arguments *arguments) {
    memset(arguments, 0, sizeof *arguments);
    arguments->server = getenv("PREDICT_SERVER");
    arguments->options.token = getenv("PREDICT_TOKEN");
}

int connection_arguments_take(connection_arguments *arguments, int argc, char **argv, int *index) {
    const char *name = argv[*index];
    const char *names[] = {"--server", "--ca", "--server-name", "--token", "--timeout"};
    size_t which = 0;
    while (which < sizeof names / sizeof *names && strcmp(name, names[which]) != 0) which++;
    if (which == sizeof names / sizeof *names) return 0;
    if (*index + 1 >= argc) {
        fprintf(stderr, "error: %s needs a value\n", name);
        return -1;
    }
    const char *value = argv[++*index];
    switch (which) {
    case 0: arguments->server = value; break;
    case 1: arguments->options.ca_file = value; break;
    case 2: arguments->options.server_name = value; break;
    case 3: arguments->options.token = value; break;
    default: {
        char *end = NULL;
        double seconds = strtod(value, &end);
        if (!end || *end || !(seconds > 0) || seconds > 86400) {
            fprintf(stderr, "error: --timeout takes seconds (0 < s <= 86400)\n");
            return -1;
        }
        arguments->options.call_timeout_ms = (int)(seconds * 1000 + 0.5) > 0 ? (int)(seconds * 1000 + 0.5) : 1;
    }
    }
    return 1;
}

int connection_arguments_finish(connection_arguments *arguments) {
    const char *server = arguments->server && arguments->server[0] ? arguments->server : "localhost:8443";
    const char *colon = strrchr(server, ':');
    const char *host = server;
    size_t length = colon ? (size_t)(colon - server) : 0;
    if (length >= 2 && host[0] == '[' && host[length - 1] == ']') {
        host++;
        length -= 2;
    }
    char *end = NULL;
    long port = colon ? strtol(colon + 1, &end, 10) : 0;
    if (!colon || length == 0 || length >= sizeof arguments->host || !end || *end || port < 1 || port > 65535) {
        fprintf(stderr, "error: --server takes host:port, not '%s'\n", server);
        return -1;
    }
    memcpy(arguments->host, host, length);
    arguments->host[length] = '\0';
    arguments->options.host = arguments->host;
    arguments->options.port = (uint16_t)port;
    return 0;
}

int parse_numbers(const char *text, float **values, size_t *count) {
    size_t capacity = 1;
    for (const char *at = text; *at; at++) capacity += *at == ',';
    float *parsed = malloc(capacity * sizeof *parsed);
    if (!parsed) return -1;
    size_t used = 0;
    const char *at = text;
    for (;;) {
        char *end = NULL;
        double value = strtod(at, &end);
        if (end == at || !isfinite(value)) break;
        parsed[used++] = (float)value;
        if (*end == '\0') {
            *values = parsed;
            *count = used;
            return 0;
        }
        if (*end != ',') break;
        at = end + 1;
    }
    free(parsed);
    return -1;
}
