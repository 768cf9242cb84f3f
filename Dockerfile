# predict-server and predict-client in a slim runtime image.
#
#   docker build -t predict .
#   docker run -p 8443:8443 -v "$PWD/models:/models:ro" -v "$PWD/certs:/certs:ro" predict \
#       --google --audience https://predict.example.com --invoker svc@proj.iam.gserviceaccount.com
#
# /certs (a mounted secret) holds tls.crt and tls.key, the server's PEM certificate chain and
# key, and ca.pem, the CA the health check trusts. /models is the model repository
# (MODEL/VERSION/model.onnx); the image ships examples/models there until one is mounted.
# The server listens on $PORT (default 8443), as Cloud Run and similar platforms set it.

# ---- build: the same commands as the README, in release mode with a static Swift runtime ----
FROM swift:6.3.1-bookworm AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libopenblas-pthread-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN swift build -c release --static-swift-stdlib --product predict-server \
    && swift build -c release --static-swift-stdlib --product predict-client \
    && mkdir -p /staging/bin \
    && cp .build/release/predict-server .build/release/predict-client /staging/bin/

# ---- runtime: Debian slim, OpenBLAS, no compiler, non-root ----
FROM debian:bookworm-slim
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libopenblas0-pthread ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin predict
COPY --from=build /staging/bin/ /usr/local/bin/
COPY --from=build /src/examples/models /models
USER 10001:10001
ENV PORT=8443
EXPOSE 8443
# Liveness over TLS with the real client. The certificate must cover the name the check
# verifies: PREDICT_HEALTHCHECK_NAME, default localhost.
HEALTHCHECK --interval=30s --timeout=5s --start-period=5s --retries=3 \
    CMD ["/bin/sh", "-c", "exec predict-client --server 127.0.0.1:${PORT} --server-name ${PREDICT_HEALTHCHECK_NAME:-localhost} --ca /certs/ca.pem --timeout 4 live"]
# Workers may share CPUs: a container often has fewer CPUs than the repository asks for.
# Probes run without a token (the HEALTHCHECK has none); every other call needs one. The
# authentication flags are the container's arguments, e.g.
#   docker run ... predict --google --audience https://predict.example.com --invoker svc@proj.iam.gserviceaccount.com
# Without them the server refuses to start and says what is missing.
ENTRYPOINT ["predict-server", "--models", "/models", "--tls-cert", "/certs/tls.crt", "--tls-key", "/certs/tls.key", \
            "--allow-cpu-sharing", "--allow-unauthenticated-probes"]
CMD []
