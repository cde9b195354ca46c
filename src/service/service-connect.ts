/**
 * How a `WebService` takes part in ECS Service Connect, in the namespace of its cluster (`serviceConnectNamespace`).
 * A service publishes its container port as `<discoveryName>.<namespace>:<port>`, through which the tasks of
 * other Service Connect services reach it; a client-only service publishes nothing and only calls others.
 *
 * Service Connect changes names, not the network: open the server's tasks to each client with
 * `server.allowFrom(client)`.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect.html
 */
export interface ServiceConnectOptions {
  /**
   * Whether the service only calls other services, publishing nothing of its own. `discoveryName` and `port` do not
   * apply then.
   *
   * @default false
   */
  readonly clientOnly?: boolean;

  /**
   * The name the service is published under in the namespace, the first label of its DNS name (1 to 63 letters,
   * digits, hyphens and underscores, starting with a letter or digit, unique in the namespace).
   *
   * @default - the service's construct id in lower case, for example `api` for `Api`
   */
  readonly discoveryName?: string;

  /**
   * The port clients call (1 to 65535). The proxy forwards it to the container port.
   *
   * @default - the container port
   */
  readonly port?: number;
}
