//! Version pins: which packages a run names without a fixed version.

use super::{dialect, PackageAction, PackageArg, PackageInstall};

impl PackageInstall {
    /// The packages this run installs by name without a fixed version
    /// (`curl`, not `curl=7.88.1-10` or `requests==2.31`). What counts as a
    /// pin is each manager's: a version, a release, a file or a commit. A word
    /// that starts with a variable (`$PACKAGES`, `"$(cat list)"`) is left out,
    /// because its value may hold the pin; one with a name written out
    /// (`tools-${MAJOR}`) is judged as written. Runs that do not install named
    /// packages have none.
    pub fn unpinned_packages(&self) -> impl Iterator<Item = &PackageArg> {
        let pinned = dialect(self.manager).version_pinned;
        let installs = self.action == PackageAction::Install;
        self.packages.iter().filter(move |package| {
            installs && !package.spec.starts_with('$') && !pinned(self, package)
        })
    }
}
