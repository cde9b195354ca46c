/**
 * The `Storefront` web service: a Windows container (ASP.NET on Windows Server 2022 Core) routed by host name
 * (`shop.example.com`), from 2 to 6 tasks, on a Windows capacity only: its capacity provider strategy names that
 * capacity, and its placement constraint (`attribute:ecs.os-type == windows`) says so in the service itself.
 *
 * Windows containers cannot have a read-only root filesystem, nor run as a `user` set by ECS, so those defaults are
 * off for Windows services. The image's Windows build must match the host: `ltsc2022` images on Windows Server 2022.
 * Windows tasks take minutes to start (a multi-GB image, then the .NET runtime), so a Windows service gets a 10-minute
 * health check grace period instead of 60 s: set `healthCheckGracePeriod` lower once you know how long your image
 * takes on warm instances.
 *
 * Needs from the platform:
 * - capacity for `Storefront`: up to 6 tasks of 1024 CPU units and 2048 MiB (awsvpc: a network interface each) on
 *   the Windows Server 2022 capacity passed in (`AmiFamily.WINDOWS_SERVER_2022_CORE`)
 * - the HTTPS listener, where it routes the host `shop.example.com`, with a certificate for that name
 *
 * Deploy: nothing to push (its image is public).
 *
 * Copy it into your platform: change the import `'../../src'` to `'cdk-ecs-platform'`, call
 * `addStorefrontService(stack.platform, windowsCapacity)`, and add the capacity above if your platform has none to spare.
 */
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Ec2Capacity, EcsPlatform, RouteMatch, WebService } from '../../src';

/** Adds the Windows `Storefront` service to `platform`, its tasks placed on `windows` (a Windows Server 2022 capacity) only. */
export function addStorefrontService(platform: EcsPlatform, windows: Ec2Capacity): WebService {
  return platform.addWebService('Storefront', {
    image: ecs.ContainerImage.fromRegistry('mcr.microsoft.com/dotnet/framework/samples:aspnetapp-windowsservercore-ltsc2022'),
    route: RouteMatch.hostHeaders('shop.example.com'),
    capacityStrategy: [{ capacity: windows }],
    containerPort: 80,
    cpu: 1024,
    memoryLimitMiB: 2048,
    minCapacity: 2,
    maxCapacity: 6,
  });
}
