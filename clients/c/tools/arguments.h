/* Command-line pieces shared by predict-c and predict-c-bench: the connection options
 * (--server, --ca, --server-name, --token, --timeout, $PREDICT_SERVER, $PREDICT_TOKEN) and
 * number lists. */
#ifndef PREDICT_ARGUMENTS_H
#define PREDICT_ARGUMENTS_H

#include <stddef.h>

#include "predict.h"

typedef struct {
    predict_options options;
    char host[256];
    const char *server; /* host:port as given */
} connection_arguments;

/* Defaults from the environment. */
void connection_arguments_init(connection_arguments *arguments);

/* Takes argv[*index] (and its value) when it is a connection option: 1 taken, 0 not one, -1 bad. */
int connection_arguments_take(connection_arguments *arguments, int argc, char **argv, int *index);

/* Fills options.host and options.port from --server (host:port, [v6]:port). -1 when malformed. */
int connection_arguments_finish(connection_arguments *arguments);

/* Parses "x1,x2,..." into *values (malloc'd). -1 when not a comma-separated list of finite numbers. */
int parse_numbers(const char *text, float **values, size_t *count);

#define CONNECTION_USAGE \
    "  --server HOST:PORT   default $PREDICT_SERVER, else localhost:8443\n" \
    "  --ca FILE            PEM CA certificates to trust; default the system store\n" \
    "  --server-name NAME   the name the certificate must carry; default the host\n" \
    "  --token JWT          default $PREDICT_TOKEN\n" \
    "  --timeout SECONDS    each call's deadline; default 30\n"

#endif
