package net.trustbl.gateway.traps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import net.trustbl.client.TrustServiceHttp;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The gateway's side of {@code POST /api/v1/trap-hits}: the request it sends and the parts of
 * the answer it reads (the status, and a 422 problem's {@code index} naming the refused item).
 * The contract with the service is written down once, in
 * {@code docs/contracts/gateway-trust-service.json}, and checked from both sides.
 */
final class TrapHitClient {

    static final String PATH = "/api/v1/trap-hits";

    /** One hit as the service receives it. */
    record Hit(String ip, String trapAddress, Instant at) { }

    /** HTTP status and body; status 0 for a connection failure. */
    record Answer(int status, String body) {

        /** The refused item a 422 problem names ({@code index}), or null. */
        Integer refusedIndex() {
            if (status != 422) {
                return null;
            }
            try {
                JsonNode n = JSON.readTree(body == null ? "" : body);
                JsonNode i = n == null ? null : n.get("index");
                return i != null && i.canConvertToInt() ? i.asInt() : null;
            } catch (Exception e) {
                return null;
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrustServiceHttp service;

    TrapHitClient(String baseUrl, String key, Duration timeout) {
        this.service = new TrustServiceHttp(baseUrl, key, timeout);
    }

    /** Posts the hits as one JSON array; blocking. */
    Answer post(List<Hit> hits) {
        try {
            HttpRequest req = service.request(PATH)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body(hits)))
                    .build();
            HttpResponse<String> resp = service.send(req);
            return new Answer(resp.statusCode(), resp.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, null);
        } catch (Exception e) {
            return new Answer(0, null);
        }
    }

    static String body(List<Hit> hits) {
        StringBuilder json = new StringBuilder("[");
        for (Hit h : hits) {
            json.append(json.length() > 1 ? "," : "").append("{\"ip\":\"").append(escape(h.ip()))
                    .append("\",\"trapAddress\":\"").append(escape(h.trapAddress()))
                    .append("\",\"at\":\"").append(h.at()).append("\"}");
        }
        return json.append(']').toString();
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
