# Build from the repository root after `mvn -B install -DskipTests`:
#   docker build -f ops/deploy/container/trust-service.Dockerfile -t trustbl/trust-service:0.1.0 .
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home /data trustbl && mkdir -p /data && chown trustbl /data
COPY --chown=root:root trust-service/target/quarkus-app/ /opt/trustbl/trust-service/
USER 10001
ENV TRUSTBL_DATA_DIR=/data
EXPOSE 8080 5353/udp 5353/tcp
ENTRYPOINT ["java", "-Dtrustbl.data-dir=/data", "-jar", "/opt/trustbl/trust-service/quarkus-run.jar"]
