/* predict-c: a small CLI over libpredict, mirroring predict-client (work in progress: live
 * and ready so far). Exit code: 0, or the status code of the failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "predict.h"

static void usage(void) {
    fprintf(stderr, "usage: predict-c [--server host:port] [--ca FILE] [--server-name NAME] [--token JWT] live|ready\n");
}

int main(int argc, char **argv) {
    predict_options options = {0};
    char host[256] = "localhost";
    const char *server = getenv("PREDICT_SERVER");
    options.token = getenv("PREDICT_TOKEN");
    const char *command = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--server") && i + 1 < argc) server = argv[++i];
        else if (!strcmp(argv[i], "--ca") && i + 1 < argc) options.ca_file = argv[++i];
        else if (!strcmp(argv[i], "--server-name") && i + 1 < argc) options.server_name = argv[++i];
        else if (!strcmp(argv[i], "--token") && i + 1 < argc) options.token = argv[++i];
        else if (!command && argv[i][0] != '-') command = argv[i];
        else {
            usage();
            return 64;
        }
    }
    if (!command || (strcmp(command, "live") && strcmp(command, "ready"))) {
        usage();
        return 64;
    }
    unsigned port = 8443;
    if (server) {
        const char *colon = strrchr(server, ':');
        size_t length = colon ? (size_t)(colon - server) : strlen(server);
        if (length == 0 || length >= sizeof host || (colon && sscanf(colon + 1, "%u", &port) != 1) || port > 65535) {
            fprintf(stderr, "error: --server takes host:port\n");
            return 64;
        }
        memcpy(host, server, length);
        host[length] = 0;
    }
    options.host = host;
    options.port = (uint16_t)port;
    predict_status status = {0};
    predict_session *session = NULL;
    if (predict_connect(&options, &session, &status) != 0) {
        fprintf(stderr, "error: %s: %s\n", predict_code_name(status.code), status.message);
        return (int)status.code;
    }
    int answer = 0;
    int failed = !strcmp(command, "live") ? predict_live(session, &answer, &status) : predict_ready(session, &answer, &status);
    predict_close(session);
    if (failed) {
        fprintf(stderr, "error: %s: %s\n", predict_code_name(status.code), status.message);
        return (int)status.code;
    }
    printf("%s\n", answer ? command : (!strcmp(command, "live") ? "not live" : "not ready"));
    return answer ? 0 : PREDICT_UNAVAILABLE;
}
