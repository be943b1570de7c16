/**
 * The {@code ftp} and {@code ftps} schemes, on Apache Commons Net: a small pool of control
 * connections, MLSD or LIST listings, atomic uploads through a temporary name, MFMT or
 * two-argument MDTM for modification times, server hashes where FEAT offers them.
 */
package dev.ferry.backend.ftp;
