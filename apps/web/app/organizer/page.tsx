import { redirect } from 'next/navigation';

export default function OrganizerHome() {
  redirect('/organizer/events');
}
