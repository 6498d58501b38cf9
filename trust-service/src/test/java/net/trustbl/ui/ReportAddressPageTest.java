package net.trustbl.ui;

import net.trustbl.member.AccountService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import net.trustbl.support.Api;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Forwarding spam by mail needs the whole address: alias, @, and the configured intake domain. */
@QuarkusTest
class ReportAddressPageTest {

    @Inject
    AccountService accounts;

    @Test
    void theMailHostsPageShowsTheFullReportAddressWithTheConfiguredDomain() {
        Api.Member m = Api.newMember();
        String alias = given().header("Authorization", "Bearer " + m.key()).get("/api/v1/me")
                .then().statusCode(200).extract().jsonPath().getString("reportAlias");
        String page = WebClient.loggedIn(accounts, m).get("/mailhosts").asString();
        assertTrue(page.contains("<code>" + alias + "@reports.trustbl.test</code>"), page);
        assertTrue(!page.contains("@reports.…"), "no elided domain");
    }
}
