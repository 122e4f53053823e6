import * as path from 'node:path';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { ImageSource } from '../config/platform-config';

/** The repository root: the Dockerfile's build context (what it copies is limited by .dockerignore). */
export const IMAGE_BUILD_CONTEXT = path.resolve(__dirname, '../../..');

/**
 * The one image all five services run. `asset`: synth only stages the build context into cdk.out
 * (no Docker needed); `cdk deploy` builds it and pushes it to the bootstrap repository, tagged with
 * its content hash, so every deployment pins an immutable image. `ecr`: an image CI pushed.
 */
export function serviceImage(scope: Construct, image: ImageSource): ecs.ContainerImage {
  switch (image.source) {
    case 'asset':
      return ecs.ContainerImage.fromDockerImageAsset(
        new ecrAssets.DockerImageAsset(scope, 'ImageAsset', {
          directory: IMAGE_BUILD_CONTEXT,
          // Fargate tasks default to X86_64; a build on an arm64 laptop must still produce amd64.
          platform: ecrAssets.Platform.LINUX_AMD64,
          displayName: 'plant-platform',
        }),
      );
    case 'ecr':
      return ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(scope, 'ImageRepository', image.repositoryName), image.tag);
  }
}
