#   docker build -f ops/deploy/container/smtp-gateway.Dockerfile -t trustbl/smtp-gateway:0.1.0 .
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10003 --home /data gateway && mkdir -p /data && chown gateway /data
COPY smtp-gateway/target/quarkus-app/ /opt/trustbl/smtp-gateway/
USER 10003
ENV GATEWAY_DATA_DIR=/data
EXPOSE 2525 8025
ENTRYPOINT ["java", "-Dgateway.data-dir=/data", "-jar", "/opt/trustbl/smtp-gateway/quarkus-run.jar"]
