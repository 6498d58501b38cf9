#   docker build -f ops/deploy/container/dns-responder.Dockerfile -t trustbl/dns-responder:0.1.0 .
# The launcher picks the JVM settings (heap from the data, serial collector); the class-data archive
# is made at build time (a training run of --self-test), as the root file system is read-only at run time.
FROM eclipse-temurin:17-jre
COPY dns-responder/target/dns-responder-standalone.jar /opt/trustbl/dns-responder-standalone.jar
COPY dns-responder/bin/trustbl-dns /opt/trustbl/bin/trustbl-dns
ENV TRUSTBL_DNS_CDS_DIR=/opt/trustbl/cds
RUN mkdir -p /opt/trustbl/cds && /opt/trustbl/bin/trustbl-dns --prepare-cds && chmod -R a+rX /opt/trustbl
USER 10002
EXPOSE 5353/udp 5353/tcp 9153/tcp
ENTRYPOINT ["/opt/trustbl/bin/trustbl-dns"]
