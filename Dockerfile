# syntax=docker/dockerfile:1
# One image for every role: api, worker and scheduler differ only by command.
FROM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The same build as on a workstation: `make build` (static, stripped).
RUN make build

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /src/bin/dailyreports /usr/local/bin/dailyreports
USER nonroot:nonroot
# Inside a container the service must listen on every interface: on embedded
# defaults it would otherwise keep to the container's own loopback.
ENV HTTP_ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/dailyreports"]
CMD ["serve"]
