/* Classifies one iris flower: cc classify.c $(pkg-config --cflags --libs predict) -o classify */
#include <predict.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    predict_options options = {.host = "localhost", .port = 8443, .ca_file = getenv("PREDICT_CA"),
                               .token = getenv("PREDICT_TOKEN")};
    predict_session *session = NULL;
    predict_status status;
    predict_predictions answer;
    const float flower[4] = {5.1f, 3.5f, 1.4f, 0.2f};
    if (predict_connect(&options, &session, &status) != 0 ||
        predict_infer_f32(session, "iris", NULL, flower, 1, 4, &answer, &status) != 0) {
        fprintf(stderr, "%s: %s\n", predict_code_name(status.code), status.message);
        predict_close(session);
        return 1;
    }
    printf("prediction: %s  confidence: %.3f\n", answer.labels[0], answer.confidences[0]);
    predict_predictions_free(&answer);
    predict_close(session);
    return 0;
}
