import { Empty } from '../components/States';
import { usePageTitle } from '../hooks/usePageTitle';
import { Link } from '../router';

export default function NotFoundPage({ path }: { path: string }) {
  usePageTitle('Not found');
  return (
    <div className="page">
      <h1 className="page__title">Not found</h1>
      <Empty title={`Nothing lives at ${path}`}>
        <Link to="/">Back to the fleet</Link>
      </Empty>
    </div>
  );
}
