import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { EnvNames } from '@plant/config';
import { PlatformConfig } from '../config/platform-config';

export interface ApiIdentityProps {
  config: PlatformConfig;
}

/** Claim names in Cognito ID tokens: custom attributes carry a `custom:` prefix. */
export const COGNITO_CLAIMS = { role: 'custom:role', plants: 'custom:plants' } as const;

/**
 * Who may call the API, as the gateway reads it in AWS: a Cognito user pool whose ID tokens carry
 * the caller's role and plants as custom attributes (only administrators set them: the app client
 * may read them but not write them), verified by the gateway against the pool's JWKS; and the
 * internal secret the gateway signs forwarded identities with, which the subgraphs verify
 * (Secrets Manager, injected into those containers only).
 */
export class ApiIdentity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly internalSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: ApiIdentityProps) {
    super(scope, id);
    const { envName } = props.config;
    this.userPool = new cognito.UserPool(this, 'Users', {
      userPoolName: `plant-${envName}-api`,
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      customAttributes: {
        role: new cognito.StringAttribute({ minLen: 1, maxLen: 32, mutable: true }),
        plants: new cognito.StringAttribute({ minLen: 1, maxLen: 2048, mutable: true }),
      },
      passwordPolicy: { minLength: 14, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      deletionProtection: envName === 'prod',
      removalPolicy: envName === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.client = this.userPool.addClient('Api', {
      userPoolClientName: `plant-${envName}-api`,
      authFlows: { userSrp: true },
      // Clients sign in with SRP and send the ID token; no hosted UI or OAuth redirects.
      disableOAuth: true,
      generateSecret: false,
      readAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }).withCustomAttributes('role', 'plants'),
      // Users must never grant themselves a role or plants.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
    });
    this.internalSecret = new secretsmanager.Secret(this, 'InternalAuthSecret', {
      secretName: `plant/${envName}/internal-auth-secret`,
      description: 'HS256 secret of the identity the gateway forwards to the subgraphs (x-plant-identity)',
      // aws/secretsmanager, not the platform key: a key grant through Secrets Manager would put this
      // stack's execution role into the data stack's key policy (a dependency cycle).
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
  }

  /** The gateway's environment for verifying callers' Cognito ID tokens. */
  gatewayEnvironment(): Record<string, string> {
    const issuer = `https://cognito-idp.${Aws.REGION}.amazonaws.com/${this.userPool.userPoolId}`;
    return {
      [EnvNames.GATEWAY_AUTH]: 'required',
      [EnvNames.JWT_JWKS_URL]: `${issuer}/.well-known/jwks.json`,
      [EnvNames.JWT_ISSUER]: issuer,
      // ID tokens carry the app client id as `aud` (access tokens carry no custom attributes).
      [EnvNames.JWT_AUDIENCE]: this.client.userPoolClientId,
      [EnvNames.JWT_ROLE_CLAIM]: COGNITO_CLAIMS.role,
      [EnvNames.JWT_PLANTS_CLAIM]: COGNITO_CLAIMS.plants,
    };
  }
}
