package dev.vidprocme.records;

/** A unit's result that says what became of it, so one retry strategy serves every stage. */
public interface HasDisposition {
    Disposition disposition();
}
