/**
 * The {@code s3} scheme: AWS S3 and S3-compatible stores (MinIO, Ceph, Wasabi, Backblaze B2,
 * S3Proxy) through the AWS SDK for Java v2, with rclone-compatible metadata.
 */
package dev.ferry.backend.s3;
