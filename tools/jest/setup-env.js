// The AWS SDK warns once per process that releases after January 2027 need Node 22; the lockfile pins
// the SDK (README, design decisions), so the warning only buries test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
