// dpkg, systemd and Unix file modes: these tests exist for Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
