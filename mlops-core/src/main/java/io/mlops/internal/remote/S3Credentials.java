package io.mlops.internal.remote;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * Where an S3 remote's credentials come from, in DVC's order: static keys from the remote's config
 * ({@code access_key_id}/{@code secret_access_key}/{@code session_token}, usually in {@code config.local}),
 * else the named profile ({@code profile} or {@code AWS_PROFILE}), else the AWS chain: the
 * {@code AWS_ACCESS_KEY_ID}... variables, web identity ({@code AWS_WEB_IDENTITY_TOKEN_FILE} +
 * {@code AWS_ROLE_ARN}, as CI OIDC sets them), the default profile, container and instance credentials.
 * Variables and file locations come from the environment map the repository was opened with.
 */
final class S3Credentials {
  private S3Credentials() {}

  /** The shared credentials and config files that exist, merged (credentials first, as the SDK does). */
  static ProfileFile profileFile(Path credentialsFile, Path configFile) {
    ProfileFile.Aggregator agg = ProfileFile.aggregator();
    if (credentialsFile != null && Files.isRegularFile(credentialsFile)) {
      agg.addFile(ProfileFile.builder().content(credentialsFile).type(ProfileFile.Type.CREDENTIALS).build());
    }
    if (configFile != null && Files.isRegularFile(configFile)) {
      agg.addFile(ProfileFile.builder().content(configFile).type(ProfileFile.Type.CONFIGURATION).build());
    }
    return agg.build();
  }

  /** The properties of the profile in use from the config file (region, {@code s3.*}), or empty. */
  static Map<String, String> profileProperties(Path configFile, String profile) {
    if (configFile == null || !Files.isRegularFile(configFile)) {
      return Map.of();
    }
    ProfileFile f = ProfileFile.builder().content(configFile).type(ProfileFile.Type.CONFIGURATION).build();
    return f.profile(profile == null ? "default" : profile).map(p -> p.properties()).orElse(Map.of());
  }

  static AwsCredentialsProvider provider(S3Settings s, Map<String, String> env, ProfileFile files) {
    if (s.accessKeyId != null) {
      return StaticCredentialsProvider.create(s.sessionToken != null
          ? AwsSessionCredentials.create(s.accessKeyId, s.secretAccessKey, s.sessionToken)
          : AwsBasicCredentials.create(s.accessKeyId, s.secretAccessKey));
    }
    if (s.anonymous) {
      return AnonymousCredentialsProvider.create();
    }
    if (s.profile != null) {
      if (files.profile(s.profile).isEmpty()) {
        throw s.error("AWS profile '" + s.profile + "' (remote '" + s.remoteName + "') is not in "
                + s.credentialsFile + " nor " + s.awsConfigFile,
            "add it (`aws configure --profile " + s.profile + "`), point credentialpath/configpath at the right "
                + "files, or pick another with `dvc remote modify " + s.remoteName + " profile <name>`");
      }
      return ProfileCredentialsProvider.builder().profileFile(files).profileName(s.profile).build();
    }
    String key = env.get("AWS_ACCESS_KEY_ID");
    String secret = env.get("AWS_SECRET_ACCESS_KEY");
    if (key != null && !key.isBlank() && secret != null && !secret.isBlank()) {
      String token = env.get("AWS_SESSION_TOKEN");
      return StaticCredentialsProvider.create(token != null && !token.isBlank()
          ? AwsSessionCredentials.create(key.strip(), secret.strip(), token.strip())
          : AwsBasicCredentials.create(key.strip(), secret.strip()));
    }
    List<AwsCredentialsProvider> chain = new ArrayList<>();
    if (s.webIdentityTokenFile != null && s.roleArn != null) {
      chain.add(WebIdentityTokenFileCredentialsProvider.builder()
          .webIdentityTokenFile(Path.of(s.webIdentityTokenFile))
          .roleArn(s.roleArn)
          .roleSessionName(s.roleSessionName != null ? s.roleSessionName : "mlops-" + System.currentTimeMillis())
          .build());
    }
    if (files.profile("default").isPresent()) {
      chain.add(ProfileCredentialsProvider.builder().profileFile(files).profileName("default").build());
    }
    chain.add(ContainerCredentialsProvider.builder().build());
    chain.add(InstanceProfileCredentialsProvider.builder().profileFile(files).profileName("default").build());
    return AwsCredentialsProviderChain.builder().reuseLastProviderEnabled(true).credentialsProviders(chain).build();
  }
}
