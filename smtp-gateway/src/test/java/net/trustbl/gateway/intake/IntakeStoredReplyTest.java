package net.trustbl.gateway.intake;

import io.vertx.core.Vertx;
import net.trustbl.gateway.support.TestConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The 250 text of a stored upload names the filed reports, as the raw-intake answer gives them. */
class IntakeStoredReplyTest {

    private static Vertx vertx;
    private static IntakeClient client;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        client = new IntakeClient(vertx, TestConfigs.gateway());
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void oneReportIsNamedByItsId() {
        assertEquals("Ok: report stored as 42",
                client.storedText("{\"reports\":[{\"id\":42,\"sourceIp\":\"45.67.89.10\"}],\"errors\":[]}"));
    }

    @Test
    void severalReportsAreCountedAndNamed() {
        assertEquals("Ok: 2 reports stored as 7, 8",
                client.storedText("{\"reports\":[{\"id\":7},{\"id\":8}],\"errors\":[]}"));
    }

    @Test
    void noReportFiledSaysWhyOnOneLine() {
        assertEquals("Ok: received, but no report filed: no sending address found  in the headers",
                client.storedText("{\"reports\":[],\"errors\":[\"no sending address found\\r\\nin the headers\"]}"));
    }

    @Test
    void anAnswerWithoutReportsStillAcknowledges() {
        assertEquals("Ok: report stored", client.storedText("not json"));
        assertEquals("Ok: report stored", client.storedText("{}"));
    }
}
