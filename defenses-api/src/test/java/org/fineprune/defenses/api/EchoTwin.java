package org.fineprune.defenses.api;

/** A second defense called {@code echo}, listed only by the registry test that refuses it. */
public final class EchoTwin extends EchoDefense {}
