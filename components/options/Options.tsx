import { useEffect, useState } from 'preact/hooks';
import { localize } from '@/utils/i18n';
import { ui } from '@/utils/ui-text';
import { ActivitySection } from './ActivitySection';
import { BackupSection } from './BackupSection';
import { ConnectionForm } from './ConnectionForm';
import { MappingSection } from './MappingSection';
import { parseRoute, SECTIONS, type Section } from './routes';
import { SitesSection } from './SitesSection';

const SECTION_TEXT: Record<Section, (typeof ui)[keyof typeof ui]> = {
  connection: ui.navConnection,
  sites: ui.navSites,
  mapping: ui.navMapping,
  activity: ui.navActivity,
  backup: ui.navBackup,
};

function useRoute() {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return parseRoute(hash);
}

/** Every setting on one page, with an in-page nav; `#activity/<jobId>` opens one job. */
export function Options() {
  const route = useRoute();
  useEffect(() => {
    // `#activity/<id>` names no element, so the browser does not scroll there by itself.
    if (route.jobId) document.getElementById(route.section)?.scrollIntoView?.();
  }, [route.section, route.jobId]);

  return (
    <>
      <h1>{localize(ui.optionsTitle)}</h1>
      <nav aria-label={localize(ui.navLabel)}>
        <ul class="nav">
          {SECTIONS.map((section) => (
            <li key={section}>
              <a href={`#${section}`} aria-current={route.section === section ? 'location' : undefined}>
                {localize(SECTION_TEXT[section])}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <ConnectionForm />
      <SitesSection />
      <MappingSection />
      <ActivitySection jobId={route.jobId} />
      <BackupSection />
    </>
  );
}
