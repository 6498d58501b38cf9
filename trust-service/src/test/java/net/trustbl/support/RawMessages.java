package net.trustbl.support;

/** Reported messages for the raw-report tests. */
public final class RawMessages {

    private RawMessages() {
    }

    /** A spam whose source (the first untrusted hop) is {@code sourceIp}; a fresh {@code messageId} makes it a new message. */
    public static String spam(String sourceIp, String messageId) {
        return "Received: from spammer.example.net (spammer.example.net [" + sourceIp + "])\r\n"
                + "\tby mx.example.org (Postfix) with ESMTP id ABC123\r\n"
                + "\tfor <user@example.org>; Mon, 23 Nov 2026 10:00:00 +0000 (UTC)\r\n"
                + "Received: from forged.example (forged.example [91.1.1.1]) by spammer.example.net; Mon, 23 Nov 2026 09:59:30 +0000\r\n"
                + "From: \"Bad\" <bad@spammer.example.net>\r\n"
                + "To: user@example.org\r\n"
                + "Subject: Cheap pills\r\n"
                + "Message-ID: <" + messageId + "@spammer.example.net>\r\n"
                + "Date: Mon, 23 Nov 2026 09:59:00 +0000\r\n"
                + "\r\n"
                + "Buy now.\r\n";
    }
}
