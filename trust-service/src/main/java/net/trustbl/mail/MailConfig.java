package net.trustbl.mail;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The {@code trustbl.mail.*} keys (the SMTP server itself is configured with quarkus.mailer.*). */
@ConfigMapping(prefix = "trustbl.mail")
public interface MailConfig {

    /** When the weekly impact mail goes out (Quartz cron); "off" disables it. */
    @WithDefault("0 0 7 ? * MON")
    String weeklyCron();
}
