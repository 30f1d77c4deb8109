//! Version pins: which packages a run names without a fixed version.

use super::{dialect, PackageAction, PackageArg, PackageInstall};

impl PackageInstall {
    /// The packages this run installs by name without a fixed version
    /// (`curl`, not `curl=7.88.1-10` or `requests==2.31`). What counts as a
    /// pin is each manager's: a version, a release, a file or a commit. Words
    /// with variables are left out, because their value is not known here,
    /// and so are runs that do not install named packages.
    pub fn unpinned_packages(&self) -> impl Iterator<Item = &PackageArg> {
        let pinned = dialect(self.manager).version_pinned;
        let installs = self.action == PackageAction::Install;
        self.packages
            .iter()
            .filter(move |package| installs && package.is_static && !pinned(self, package))
    }
}
