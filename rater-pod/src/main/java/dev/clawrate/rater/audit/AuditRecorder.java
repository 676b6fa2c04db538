package dev.clawrate.rater.audit;

/** Counts what became of the decision log's records. */
public interface AuditRecorder {

  void written();

  /** The queue was full: the record was not kept, and the answer did not wait. */
  void dropped();

  /** The file could not be written. */
  void failed();
}
