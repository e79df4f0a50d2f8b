package fr.coffre.core;

/** What a key protects: objects, their total bytes, and multipart uploads in progress. */
public record KeyUsage(long objects, long bytes, long uploads) {}
