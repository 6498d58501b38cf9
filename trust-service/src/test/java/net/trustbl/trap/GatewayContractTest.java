package net.trustbl.trap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import net.trustbl.support.Api;
import net.trustbl.support.RawMessages;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service's side of the gateway contract (docs/contracts/gateway-trust-service.json): the
 * requests the gateway sends, sent to the real endpoint, get the recorded status and every
 * recorded answer field. The gateway's side is smtp-gateway's TrapHitContractTest (trap hits; the
 * intake calls are checked here only).
 */
@QuarkusTest
class GatewayContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode contract() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/contracts/gateway-trust-service.json"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IOException("docs/contracts/gateway-trust-service.json not found above " + Path.of("").toAbsolutePath());
        }
        return JSON.readTree(dir.resolve("docs/contracts/gateway-trust-service.json").toFile());
    }

    @Test
    void theTrapHitEndpointAnswersTheGatewaysRequestsAsRecorded() throws IOException {
        JsonNode trapHits = contract().get("trapHits");
        String feedKey = Api.machineKey("trap-feed", "gateway contract");
        for (JsonNode c : trapHits.get("cases")) {
            String name = c.get("name").asText();
            String key = c.has("key") ? c.get("key").asText() : feedKey;
            Response r = given().header("Authorization", "Bearer " + key)
                    .contentType(trapHits.get("contentType").asText()).body(JSON.writeValueAsString(c.get("hits")))
                    .request(trapHits.get("method").asText(), trapHits.get("path").asText());
            assertEquals(c.get("status").asInt(), r.statusCode(), name + ": " + r.asString());
            JsonNode body = JSON.readTree(r.asString());
            for (Iterator<Map.Entry<String, JsonNode>> f = c.get("answer").fields(); f.hasNext(); ) {
                Map.Entry<String, JsonNode> field = f.next();
                assertEquals(field.getValue(), body.get(field.getKey()), name + ": answer field " + field.getKey() + " in " + body);
            }
            if (r.statusCode() >= 400) {
                assertTrue(r.contentType().startsWith("application/problem+json"), name + ": " + r.contentType());
            }
        }
    }

    @Test
    void theIntakeEndpointsAnswerTheGatewaysRequestsAsRecorded() throws IOException {
        JsonNode intake = contract().get("intake");
        Api.Member member = Api.newMember();
        String alias = given().header("Authorization", "Bearer " + member.key()).get("/api/v1/me")
                .then().statusCode(200).extract().jsonPath().getString("reportAlias");
        String intakeKey = Api.machineKey("intake", "gateway contract");
        int n = 0;
        for (String call : new String[] {"aliases", "raw"}) {
            JsonNode endpoint = intake.get(call);
            for (JsonNode c : endpoint.get("cases")) {
                String name = call + ": " + c.get("name").asText();
                String key = c.has("key") && "member".equals(c.get("key").asText()) ? member.key() : intakeKey;
                String path = endpoint.get("path").asText().replace("{alias}", c.get("alias").asText().replace("{member}", alias));
                var request = given().header("Authorization", "Bearer " + key);
                if (c.has("message")) {
                    byte[] message = RawMessages.spam("185.12.40." + (++n), "contract" + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
                    request = request.contentType(endpoint.get("contentType").asText()).body(message);
                }
                Response r = request.request(endpoint.get("method").asText(), path);
                assertEquals(c.get("status").asInt(), r.statusCode(), name + ": " + r.asString());
                if (r.statusCode() >= 400) {
                    assertTrue(r.contentType().startsWith("application/problem+json"), name + ": " + r.contentType());
                    continue;
                }
                JsonNode body = JSON.readTree(r.asString());
                for (JsonNode field : c.get("answerFields")) {
                    assertTrue(body.has(field.asText()), name + ": answer field " + field.asText() + " in " + body);
                }
                // the gateway's 250 names the filed reports by reports[].id (IntakeClient.storedText)
                assertTrue(!"raw".equals(call) || (body.get("reports").isArray() && !body.get("reports").isEmpty()
                        && body.get("reports").get(0).has("id")), name + ": reports[].id in " + body);
            }
        }
    }
}
