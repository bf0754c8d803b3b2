# lockscope in a container: a JRE, the release jar and its launcher, run as a user of its own in /dumps.
#   mvn -B package                      # makes analyzer/target/release/lockscope-VERSION.jar
#   docker build -t lockscope .
#   docker run --rm -v "$PWD/dumps:/dumps" lockscope analyze . -o report
FROM eclipse-temurin:21-jre
RUN useradd --system --uid 10001 --user-group --home-dir /dumps --no-create-home lockscope \
    && mkdir -p /opt/lockscope/bin /opt/lockscope/lib /dumps && chown lockscope:lockscope /dumps
COPY analyzer/target/release/lockscope-*.jar /opt/lockscope/lib/
COPY dist/lockscope /opt/lockscope/bin/lockscope
RUN chmod 755 /opt/lockscope/bin/lockscope
ENV PATH=/opt/lockscope/bin:$PATH
USER lockscope
WORKDIR /dumps
ENTRYPOINT ["lockscope"]
CMD ["--help"]
