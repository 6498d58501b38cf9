package net.trustbl.gateway.filter;

/** The points of the SMTP dialogue where filters are asked (as in MIMEDefang / milter). */
public enum Stage {
    CONNECT, HELO, MAIL, RCPT, END_OF_DATA
}
