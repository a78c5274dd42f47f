import Glibc

/// Whether standard error is a terminal: long work shows progress there, and stays quiet in pipes
/// and tests. Here because this module is the one that makes system calls.
public enum Terminal {
    /// `isatty(2)`.
    public static var standardErrorIsInteractive: Bool { isatty(STDERR_FILENO) == 1 }
}
