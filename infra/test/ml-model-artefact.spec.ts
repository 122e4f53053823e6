import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { failureRiskPackageKey } from '@plant/config';
import { INFERENCE_SCRIPT } from '../../tools/train/src/package-model';
import { resourceOf, synthPlatform } from './synth-platform';

/** The endpoint serves the artefact `npm run train` packs: same key in the lake, same inference script. */
describe('failure-risk endpoint serves the trained artefact', () => {
  const platforms = [synthPlatform('dev'), synthPlatform('prod', { certificateArn: 'arn:aws:acm:eu-central-1:111122223333:certificate/abc' })];

  it('reads model.tar.gz from the key npm run train writes under the lake models/ prefix', () => {
    for (const platform of platforms) {
      const model = resourceOf(platform.ml, 'AWS::SageMaker::Model', 'MlPlatformFailureRiskModel');
      const url = JSON.stringify(model.properties.PrimaryContainer.ModelDataUrl);
      expect(url).toContain(`/${failureRiskPackageKey()}`);
    }
  });

  it('runs the inference script that the package carries under code/', () => {
    for (const platform of platforms) {
      const model = resourceOf(platform.ml, 'AWS::SageMaker::Model', 'MlPlatformFailureRiskModel');
      const program = model.properties.PrimaryContainer.Environment.SAGEMAKER_PROGRAM as string;
      expect(resolve(INFERENCE_SCRIPT, '..', program)).toBe(INFERENCE_SCRIPT);
      expect(existsSync(INFERENCE_SCRIPT)).toBe(true);
    }
  });
});
