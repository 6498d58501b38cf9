#   docker build -f ops/deploy/container/dns-responder.Dockerfile -t trustbl/dns-responder:0.1.0 .
FROM eclipse-temurin:17-jre
COPY dns-responder/target/dns-responder-standalone.jar /opt/trustbl/dns-responder-standalone.jar
USER 10002
EXPOSE 5353/udp 5353/tcp
ENTRYPOINT ["java", "-cp", "/opt/trustbl/dns-responder-standalone.jar", "net.trustbl.dns.standalone.Main"]
