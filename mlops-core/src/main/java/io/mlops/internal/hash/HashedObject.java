package io.mlops.internal.hash;

/** A hash together with its meta: what a dep or out records in dvc.lock or a .dvc file. */
public record HashedObject(HashInfo hash, Meta meta) {}
