package net.trustbl.common.openapi;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The published OpenAPI document (/q/openapi): what an integrator reads before writing a client. */
@QuarkusTest
class ApiDocsTest {

    private static JsonPath document() {
        return given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void bearerAndBasicSecuritySchemesAreDeclared() {
        JsonPath doc = document();
        assertEquals("http", doc.getString("components.securitySchemes.bearer.type"));
        assertEquals("bearer", doc.getString("components.securitySchemes.bearer.scheme"));
        assertEquals("http", doc.getString("components.securitySchemes.basic.type"));
        assertEquals("basic", doc.getString("components.securitySchemes.basic.scheme"));
    }

    @Test
    void htmlPagesAreNotInTheDocument() {
        Map<String, Object> paths = document().getMap("paths");
        List<String> notApi = paths.keySet().stream().filter(p -> !p.startsWith("/api/v1/")).toList();
        assertEquals(List.of(), notApi);
        assertEquals(ApiRoutes.ALL.stream().map(ApiRoutes.Route::path).distinct().count(), paths.size(), "api paths " + paths.keySet());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyApiOperationHasASummaryADescriptionAndAnExample() {
        Map<String, Map<String, Map<String, Object>>> paths = document().getMap("paths");
        List<String> undocumented = new ArrayList<>();
        int operations = 0;
        for (var path : paths.entrySet()) {
            for (var op : path.getValue().entrySet()) {
                if (!List.of("get", "post", "put", "delete").contains(op.getKey())) {
                    continue;
                }
                operations++;
                Map<String, Object> o = op.getValue();
                String where = op.getKey().toUpperCase() + " " + path.getKey();
                if (isBlank(o.get("summary")) || isBlank(o.get("description"))) {
                    undocumented.add(where + ": no summary/description");
                }
                if (!o.toString().contains("example")) {
                    undocumented.add(where + ": no example");
                }
                if (!o.containsKey("security")) {
                    undocumented.add(where + ": no security requirement (empty list for public routes)");
                }
            }
        }
        assertEquals(List.of(), undocumented);
        assertEquals(ApiRoutes.ALL.size(), operations, "every documented route exists, and only those");
    }

    @Test
    void reportsNeedABearerKeyAndAnswer202WithAnExample() {
        JsonPath doc = document();
        assertEquals(List.of(Map.of("bearer", List.of())), doc.getList("paths.'/api/v1/reports'.post.security"));
        assertEquals("203.0.113.7", doc.getString("paths.'/api/v1/reports'.post.requestBody.content.'application/json'.example.ip"));
        assertEquals(1234567, doc.getInt("paths.'/api/v1/reports'.post.responses.'202'.content.'application/json'.example[0].id"));
        assertTrue(doc.getMap("paths.'/api/v1/reports'.post.responses").get("200") == null, "no guessed 200");
        assertEquals(List.of(), doc.getList("paths.'/api/v1/lookup/{ip}'.get.security"), "the lookup is public");
        assertEquals(List.of(Map.of("basic", List.of())), doc.getList("paths.'/api/v1/keys'.post.security"));
    }

    private static boolean isBlank(Object o) {
        return o == null || o.toString().isBlank();
    }
}
